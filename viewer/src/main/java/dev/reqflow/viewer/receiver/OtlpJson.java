package dev.reqflow.viewer.receiver;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OTLP/JSON to the protobuf request. OTLP's JSON differs from protobuf's canonical JSON in one way
 * that matters here: trace and span ids are hex, not base64; they are rewritten before parsing.
 */
final class OtlpJson {
  private static final Pattern IDS =
      Pattern.compile("\"(traceId|spanId|parentSpanId)\"\\s*:\\s*\"([0-9a-fA-F]*)\"");
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

  private OtlpJson() {}

  static ExportTraceServiceRequest parse(String json) throws InvalidProtocolBufferException {
    Matcher m = IDS.matcher(json);
    StringBuilder sb = new StringBuilder(json.length());
    while (m.find()) {
      String hex = m.group(2);
      if (hex.length() % 2 != 0) {
        throw new InvalidProtocolBufferException(m.group(1) + " is not hex: " + hex);
      }
      String b64 = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
      m.appendReplacement(sb, Matcher.quoteReplacement("\"" + m.group(1) + "\":\"" + b64 + "\""));
    }
    m.appendTail(sb);
    ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
    PARSER.merge(sb.toString(), b);
    return b.build();
  }
}
