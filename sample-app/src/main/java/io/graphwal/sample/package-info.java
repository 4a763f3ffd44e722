/**
 * The sample web service: a REST API over the graph (nodes, relationships, and multi-operation transactions),
 * answering errors as RFC 9457 problem details. Controllers only translate HTTP; {@link GraphService} and
 * {@link TransactionRunner} do the work through the {@link io.graphwal.replay.GraphDatabase} bean.
 */
package io.graphwal.sample;
