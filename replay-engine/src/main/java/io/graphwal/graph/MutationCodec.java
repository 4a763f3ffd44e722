package io.graphwal.graph;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The versioned binary form of a transaction: the payload of one WAL record.
 *
 * <pre>
 * u8 version (2), i64 commit time (microseconds since the epoch, little-endian), varint count,
 * then per mutation: u8 opcode, fields
 *   ids are unsigned varints; strings are varint length + UTF-8; values are tagged ({@code Values});
 *   property maps are varint count + (key string, value) pairs
 * </pre>
 *
 * Labels, types and keys travel as strings, so a record decodes on its own, without any state of the store
 * that wrote it (which is what lets the {@code wal} tool print any record). Decoding checks every count and
 * length against the bytes left and throws {@link MalformedDataException} on anything it does not expect.
 *
 * <p>Version 1, written before transactions carried their commit time, is the same without the time field;
 * it still decodes, with a commit time of {@link #UNKNOWN_COMMIT_TIME}.
 */
public final class MutationCodec {

    /** The WAL record type of a transaction. */
    public static final byte TRANSACTION_RECORD = 1;

    /** The commit time of a transaction written before transactions carried one (format version 1). */
    public static final long UNKNOWN_COMMIT_TIME = 0;

    static final int VERSION = 2;
    static final int VERSION_WITHOUT_TIME = 1;

    static final int CREATE_NODE = 1;
    static final int CREATE_RELATIONSHIP = 2;
    static final int SET_NODE_PROPERTY = 3;
    static final int REMOVE_NODE_PROPERTY = 4;
    static final int ADD_LABEL = 5;
    static final int REMOVE_LABEL = 6;
    static final int SET_RELATIONSHIP_PROPERTY = 7;
    static final int REMOVE_RELATIONSHIP_PROPERTY = 8;
    static final int DELETE_RELATIONSHIP = 9;
    static final int DELETE_NODE = 10;
    static final int DETACH_DELETE_NODE = 11;
    static final int CREATE_INDEX = 12;
    static final int DROP_INDEX = 13;

    private MutationCodec() {
    }

    /**
     * Encodes a transaction whose commit time is not known.
     *
     * @param mutations its mutations, with canonical values
     * @return the payload
     */
    public static byte[] encode(List<Mutation> mutations) {
        return encode(UNKNOWN_COMMIT_TIME, mutations);
    }

    /**
     * Encodes a transaction.
     *
     * @param commitTimeMicros when it committed, in microseconds since the epoch
     * @param mutations its mutations, with canonical values
     * @return the payload
     */
    public static byte[] encode(long commitTimeMicros, List<Mutation> mutations) {
        ByteWriter out = new ByteWriter(64 * mutations.size() + 16);
        encode(commitTimeMicros, mutations, out);
        return out.toByteArray();
    }

    static void encode(long commitTimeMicros, List<Mutation> mutations, ByteWriter out) {
        out.putByte(VERSION);
        out.putLong(commitTimeMicros);
        out.putVarInt(mutations.size());
        for (Mutation mutation : mutations) {
            write(mutation, out);
        }
    }

    private static void write(Mutation mutation, ByteWriter out) {
        if (mutation instanceof Mutation.CreateNode m) {
            out.putByte(CREATE_NODE);
            out.putVarLong(m.id());
            out.putVarInt(m.labels().size());
            m.labels().forEach(out::putString);
            writeProperties(m.properties(), out);
        } else if (mutation instanceof Mutation.CreateRelationship m) {
            out.putByte(CREATE_RELATIONSHIP);
            out.putVarLong(m.id());
            out.putString(m.type());
            out.putVarLong(m.startNode());
            out.putVarLong(m.endNode());
            writeProperties(m.properties(), out);
        } else if (mutation instanceof Mutation.SetNodeProperty m) {
            out.putByte(SET_NODE_PROPERTY);
            out.putVarLong(m.node());
            out.putString(m.key());
            Values.write(out, m.value());
        } else if (mutation instanceof Mutation.RemoveNodeProperty m) {
            out.putByte(REMOVE_NODE_PROPERTY);
            out.putVarLong(m.node());
            out.putString(m.key());
        } else if (mutation instanceof Mutation.AddLabel m) {
            out.putByte(ADD_LABEL);
            out.putVarLong(m.node());
            out.putString(m.label());
        } else if (mutation instanceof Mutation.RemoveLabel m) {
            out.putByte(REMOVE_LABEL);
            out.putVarLong(m.node());
            out.putString(m.label());
        } else if (mutation instanceof Mutation.SetRelationshipProperty m) {
            out.putByte(SET_RELATIONSHIP_PROPERTY);
            out.putVarLong(m.relationship());
            out.putString(m.key());
            Values.write(out, m.value());
        } else if (mutation instanceof Mutation.RemoveRelationshipProperty m) {
            out.putByte(REMOVE_RELATIONSHIP_PROPERTY);
            out.putVarLong(m.relationship());
            out.putString(m.key());
        } else if (mutation instanceof Mutation.DeleteRelationship m) {
            out.putByte(DELETE_RELATIONSHIP);
            out.putVarLong(m.relationship());
        } else if (mutation instanceof Mutation.DeleteNode m) {
            out.putByte(DELETE_NODE);
            out.putVarLong(m.node());
        } else if (mutation instanceof Mutation.DetachDeleteNode m) {
            out.putByte(DETACH_DELETE_NODE);
            out.putVarLong(m.node());
        } else if (mutation instanceof Mutation.CreateIndex m) {
            out.putByte(CREATE_INDEX);
            out.putString(m.label());
            out.putString(m.key());
        } else if (mutation instanceof Mutation.DropIndex m) {
            out.putByte(DROP_INDEX);
            out.putString(m.label());
            out.putString(m.key());
        } else {
            throw new IllegalArgumentException("unknown mutation " + mutation);
        }
    }

    private static void writeProperties(Map<String, Object> properties, ByteWriter out) {
        out.putVarInt(properties.size());
        for (Map.Entry<String, Object> entry : properties.entrySet()) {
            out.putString(entry.getKey());
            Values.write(out, entry.getValue());
        }
    }

    /**
     * Decodes a transaction.
     *
     * @param payload the payload; read from its position to its limit, which it is left at
     * @return the mutations
     * @throws MalformedDataException if the bytes are not a transaction this version can read
     */
    public static List<Mutation> decode(ByteBuffer payload) {
        ByteReader in = new ByteReader(payload, StringCache.forThisThread());
        readHeader(in);
        // Each mutation takes at least two bytes, which bounds the count before the list is allocated.
        int count = in.getCount(in.remaining() / 2, "mutation count");
        List<Mutation> mutations = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            mutations.add(read(in));
        }
        if (in.hasRemaining()) {
            throw new MalformedDataException(in.remaining() + " unexpected bytes after " + count + " mutations");
        }
        return mutations;
    }

    /**
     * Reads a transaction's commit time without decoding its mutations.
     *
     * @param payload the payload; read from its position, which it is left at
     * @return the commit time in microseconds since the epoch, or {@link #UNKNOWN_COMMIT_TIME} for a
     *     transaction written before transactions carried one
     * @throws MalformedDataException if the payload does not start like a transaction this version can read
     */
    public static long commitTimeMicros(ByteBuffer payload) {
        return readHeader(new ByteReader(payload.duplicate(), null));
    }

    /**
     * Reads the version and, where the version has one, the commit time, leaving {@code in} at the count.
     *
     * @return the commit time, or {@link #UNKNOWN_COMMIT_TIME}
     */
    static long readHeader(ByteReader in) {
        int version = in.getByte();
        if (version == VERSION) {
            return in.getLong();
        }
        if (version == VERSION_WITHOUT_TIME) {
            return UNKNOWN_COMMIT_TIME;
        }
        throw new MalformedDataException("unsupported transaction format version " + version + " (this build reads "
                + VERSION_WITHOUT_TIME + " and " + VERSION + ")");
    }

    private static Mutation read(ByteReader in) {
        int opcode = in.getByte();
        return switch (opcode) {
            case CREATE_NODE -> {
                long id = in.getVarLong();
                int labelCount = in.getCount(in.remaining(), "label count");
                List<String> labels = new ArrayList<>(labelCount);
                for (int i = 0; i < labelCount; i++) {
                    labels.add(in.getString());
                }
                yield new Mutation.CreateNode(id, List.copyOf(labels), readProperties(in));
            }
            case CREATE_RELATIONSHIP -> new Mutation.CreateRelationship(in.getVarLong(), in.getString(),
                    in.getVarLong(), in.getVarLong(), readProperties(in));
            case SET_NODE_PROPERTY -> new Mutation.SetNodeProperty(in.getVarLong(), in.getString(), Values.read(in));
            case REMOVE_NODE_PROPERTY -> new Mutation.RemoveNodeProperty(in.getVarLong(), in.getString());
            case ADD_LABEL -> new Mutation.AddLabel(in.getVarLong(), in.getString());
            case REMOVE_LABEL -> new Mutation.RemoveLabel(in.getVarLong(), in.getString());
            case SET_RELATIONSHIP_PROPERTY -> new Mutation.SetRelationshipProperty(in.getVarLong(), in.getString(),
                    Values.read(in));
            case REMOVE_RELATIONSHIP_PROPERTY -> new Mutation.RemoveRelationshipProperty(in.getVarLong(),
                    in.getString());
            case DELETE_RELATIONSHIP -> new Mutation.DeleteRelationship(in.getVarLong());
            case DELETE_NODE -> new Mutation.DeleteNode(in.getVarLong());
            case DETACH_DELETE_NODE -> new Mutation.DetachDeleteNode(in.getVarLong());
            case CREATE_INDEX -> new Mutation.CreateIndex(in.getString(), in.getString());
            case DROP_INDEX -> new Mutation.DropIndex(in.getString(), in.getString());
            default -> throw new MalformedDataException("unknown mutation opcode " + opcode + " at offset "
                    + (in.position() - 1));
        };
    }

    private static Map<String, Object> readProperties(ByteReader in) {
        int count = in.getCount(in.remaining() / 2, "property count");
        Map<String, Object> properties = new LinkedHashMap<>(Math.max(4, count * 2));
        for (int i = 0; i < count; i++) {
            String key = in.getString();
            if (properties.put(key, Values.read(in)) != null) {
                throw new MalformedDataException("property '" + key + "' appears twice");
            }
        }
        return properties;
    }
}
