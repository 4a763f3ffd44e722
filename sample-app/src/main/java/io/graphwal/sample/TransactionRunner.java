package io.graphwal.sample;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import io.graphwal.graph.Commit;
import io.graphwal.graph.GraphValidationException;
import io.graphwal.graph.Transaction;
import io.graphwal.replay.GraphDatabase;

/**
 * Runs {@code POST /api/transactions}: every operation inside one graph transaction, so the engine logs them
 * as one record or, if any is refused, logs and changes nothing. Keys given to created nodes and relationships
 * live only for the request.
 */
@Component
class TransactionRunner {

    private final GraphDatabase db;

    TransactionRunner(GraphDatabase db) {
        this.db = db;
    }

    TransactionResult run(TransactionRequest request) {
        List<Operation> operations = request.operations();
        if (operations == null || operations.isEmpty()) {
            throw new InvalidRequestException("operations", "must hold at least one operation");
        }
        for (int i = 0; i < operations.size(); i++) {
            if (operations.get(i) == null) {
                throw new InvalidRequestException("operations[" + i + "]", "is null; use an object with an 'op'");
            }
        }
        Commit<Batch> commit = db.commit(tx -> {
            Batch batch = new Batch(tx);
            for (int i = 0; i < operations.size(); i++) {
                Operation operation = operations.get(i);
                try {
                    batch.apply(operation, "operations[" + i + "].");
                } catch (GraphValidationException | InvalidRequestException e) {
                    throw new OperationFailedException(i, operation.name(), e);
                }
            }
            return batch;
        });
        return commit.value().result(commit.lsn());
    }

    /** The state of one request's operations while its transaction is open. */
    private static final class Batch {

        private final Transaction tx;
        private final Map<String, Long> nodes = new LinkedHashMap<>();
        private final Map<String, Long> relationships = new LinkedHashMap<>();
        private final List<TransactionResult.OperationResult> results = new ArrayList<>();

        Batch(Transaction tx) {
            this.tx = tx;
        }

        void apply(Operation operation, String at) {
            long id;
            if (operation instanceof Operation.CreateNode create) {
                checkNewKey(create.key(), at);
                id = Writes.createNode(tx, create.labels(), create.properties(), at);
                remember(nodes, create.key(), id);
            } else if (operation instanceof Operation.UpdateNode update) {
                id = node(update.node(), at + "node");
                Writes.updateNode(tx, id, new NodePatch(update.properties(), update.addLabels(),
                        update.removeLabels()), at);
            } else if (operation instanceof Operation.DeleteNode delete) {
                id = node(delete.node(), at + "node");
                Writes.deleteNode(tx, id, Boolean.TRUE.equals(delete.detach()));
            } else if (operation instanceof Operation.CreateRelationship create) {
                checkNewKey(create.key(), at);
                long from = node(create.from(), at + "from");
                long to = node(create.to(), at + "to");
                id = Writes.createRelationship(tx, create.type(), from, to, create.properties(), at);
                remember(relationships, create.key(), id);
            } else {
                id = resolve(((Operation.DeleteRelationship) operation).relationship(), at + "relationship",
                        relationships, "relationship");
                tx.deleteRelationship(id);
            }
            results.add(new TransactionResult.OperationResult(operation.name(), id));
        }

        TransactionResult result(long lsn) {
            return new TransactionResult(lsn, nodes, relationships, results);
        }

        private long node(Ref ref, String field) {
            return resolve(ref, field, nodes, "node");
        }

        private long resolve(Ref ref, String field, Map<String, Long> keys, String kind) {
            if (ref == null) {
                throw new InvalidRequestException(field, "is required: a " + kind + " id or key");
            }
            if (ref.id() != null) {
                return ref.id();
            }
            Long id = keys.get(ref.key());
            if (id == null) {
                boolean other = (keys == nodes ? relationships : nodes).containsKey(ref.key());
                throw new InvalidRequestException(field, "names key '" + ref.key() + "', " + (other
                        ? "which belongs to a " + (kind.equals("node") ? "relationship" : "node") + ", not a " + kind
                        : "which no earlier operation of this request created"));
            }
            return id;
        }

        private void checkNewKey(String key, String at) {
            if (key != null && (key.isEmpty() || nodes.containsKey(key) || relationships.containsKey(key))) {
                throw new InvalidRequestException(at + "key", key.isEmpty() ? "is empty; omit it or name the key"
                        : "'" + key + "' is already used by an earlier operation of this request");
            }
        }

        private static void remember(Map<String, Long> keys, String key, long id) {
            if (key != null) {
                keys.put(key, id);
            }
        }
    }
}
