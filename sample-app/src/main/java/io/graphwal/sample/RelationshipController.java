package io.graphwal.sample;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** {@code /api/relationships}: create, read and delete relationships. */
@RestController
@RequestMapping("/api/relationships")
class RelationshipController {

    private final GraphService graph;

    RelationshipController(GraphService graph) {
        this.graph = graph;
    }

    @PostMapping
    ResponseEntity<RelationshipJson> create(@RequestBody RelationshipRequest request) {
        RelationshipJson relationship = graph.createRelationship(request);
        return ResponseEntity.created(ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}")
                .buildAndExpand(relationship.id()).toUri()).body(relationship);
    }

    @GetMapping("/{id}")
    RelationshipJson get(@PathVariable long id) {
        return graph.relationship(id);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable long id) {
        graph.deleteRelationship(id);
        return ResponseEntity.noContent().build();
    }
}
