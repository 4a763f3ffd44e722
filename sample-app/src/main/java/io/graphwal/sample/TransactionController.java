package io.graphwal.sample;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/transactions}: several operations applied all together or not at all. */
@RestController
@RequestMapping("/api/transactions")
class TransactionController {

    private final TransactionRunner runner;

    TransactionController(TransactionRunner runner) {
        this.runner = runner;
    }

    @PostMapping
    TransactionResult run(@RequestBody TransactionRequest request) {
        return runner.run(request);
    }
}
