/**
 * Reading OTLP traces into flows. {@link dev.reqflow.otlp.Flows#read} reads files (OTLP JSON, JSON
 * lines as the Collector's file exporter writes them, protobuf; gzipped or not); {@link
 * dev.reqflow.otlp.FlowAssembler} takes requests as they arrive (a receiver) and assembles flows
 * across batches and files. Problems in the input are repaired and reported as warnings; input that
 * is not OTLP raises {@link dev.reqflow.otlp.OtlpFormatException} naming file and line.
 */
package dev.reqflow.otlp;
