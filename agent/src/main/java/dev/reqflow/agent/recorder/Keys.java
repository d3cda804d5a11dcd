package dev.reqflow.agent.recorder;

import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;

import dev.reqflow.contract.TraceContract.Attr;
import io.opentelemetry.api.common.AttributeKey;

/**
 * The contract's attributes that every call span carries, as OpenTelemetry keys made once: the
 * API's {@code setAttribute(String, ...)} makes a new key object each time, a dozen per recorded
 * call on the application's thread.
 */
final class Keys {
  static final AttributeKey<String> SPAN_TYPE = stringKey(Attr.SPAN_TYPE);
  static final AttributeKey<Long> THREAD_ID = longKey(Attr.THREAD_ID);
  static final AttributeKey<String> THREAD_NAME = stringKey(Attr.THREAD_NAME);
  static final AttributeKey<String> CALL_CLIENT = stringKey(Attr.CALL_CLIENT);
  static final AttributeKey<String> THREAD_ROLE = stringKey(Attr.THREAD_ROLE);
  static final AttributeKey<String> HTTP_REQUEST_METHOD = stringKey(Attr.HTTP_REQUEST_METHOD);
  static final AttributeKey<String> URL_FULL = stringKey(Attr.URL_FULL);
  static final AttributeKey<String> SERVER_ADDRESS = stringKey(Attr.SERVER_ADDRESS);
  static final AttributeKey<Long> SERVER_PORT = longKey(Attr.SERVER_PORT);
  static final AttributeKey<String> CALL_MODE = stringKey(Attr.CALL_MODE);
  static final AttributeKey<String> CODE_FUNCTION_NAME = stringKey(Attr.CODE_FUNCTION_NAME);
  static final AttributeKey<String> CODE_FILE_PATH = stringKey(Attr.CODE_FILE_PATH);
  static final AttributeKey<Long> CODE_LINE_NUMBER = longKey(Attr.CODE_LINE_NUMBER);
  static final AttributeKey<String> REQUEST_HASH = stringKey(Attr.REQUEST_HASH);

  private Keys() {}
}
