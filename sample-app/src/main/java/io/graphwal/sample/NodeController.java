package io.graphwal.sample;

import java.util.List;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** {@code /api/nodes}: create, read, change, delete and find nodes, and list a node's relationships. */
@RestController
@RequestMapping("/api/nodes")
class NodeController {

    private final GraphService graph;

    NodeController(GraphService graph) {
        this.graph = graph;
    }

    @PostMapping
    ResponseEntity<NodeJson> create(@RequestBody NodeRequest request) {
        NodeJson node = graph.createNode(request);
        return ResponseEntity.created(ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}")
                .buildAndExpand(node.id()).toUri()).body(node);
    }

    @GetMapping("/{id}")
    NodeJson get(@PathVariable long id) {
        return graph.node(id);
    }

    @PatchMapping("/{id}")
    NodeJson update(@PathVariable long id, @RequestBody NodePatch patch) {
        return graph.updateNode(id, patch);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable long id, @RequestParam(defaultValue = "false") boolean detach) {
        graph.deleteNode(id, detach);
        return ResponseEntity.noContent().build();
    }

    @GetMapping
    List<NodeJson> find(@RequestParam String label, @RequestParam(required = false) String key,
            @RequestParam(required = false) String value) {
        return graph.findNodes(label, key, value);
    }

    @GetMapping("/{id}/relationships")
    List<RelationshipJson> relationships(@PathVariable long id, @RequestParam(defaultValue = "BOTH") String direction,
            @RequestParam(required = false) String type) {
        return graph.relationshipsOf(id, direction, type);
    }
}
