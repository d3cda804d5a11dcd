package dev.reqflow.otlp;

import dev.reqflow.contract.TraceContract.Attr;
import java.util.ArrayList;
import java.util.List;

/**
 * A span as read, before assembly into flows: only the fields and attributes reqflow uses, so that
 * a million spans fit in little memory and neither reader builds attribute maps.
 */
final class RawSpan {
  static final int KIND_INTERNAL = 1;
  static final int KIND_SERVER = 2;
  static final int KIND_CLIENT = 3;

  String traceId = "";
  String spanId = "";
  String parentSpanId = "";
  String name = "";
  int kind;
  long startNanos;
  long endNanos;
  String service = "";
  boolean fromAgent;

  /** Where it was read, for warnings: the file, and the line in text input (else 0). */
  String source = "";

  long line;

  String spanType;
  String method;
  String url;
  String urlPath;
  String route;
  String host;
  long port;
  long status;
  String errorType;
  long threadId = -1;
  String threadName;
  String threadRole;
  String codeFunction;
  String codeFile;
  long codeLine;
  String flowName;
  String sectionName;
  String client;
  String mode;
  Boolean reused;
  String poolName;
  String poolKind;
  long poolLimit;
  long poolLimitPerHost;
  String blockKind;

  final List<String> eventNames = new ArrayList<>(4);
  long[] eventTimes = new long[4];

  /** Links as (span id, link type) pairs; links to other traces are kept, and later not found. */
  final List<String> linkSpanIds = new ArrayList<>(2);

  final List<String> linkTypes = new ArrayList<>(2);

  void addEvent(String eventName, long timeNanos) {
    int n = eventNames.size();
    if (n == eventTimes.length) {
      eventTimes = java.util.Arrays.copyOf(eventTimes, n * 2);
    }
    eventNames.add(eventName);
    eventTimes[n] = timeNanos;
  }

  void addLink(String linkedSpanId, String linkType) {
    linkSpanIds.add(linkedSpanId);
    linkTypes.add(linkType);
  }

  /** Time of the first event of that name, or {@link Long#MIN_VALUE}. */
  long eventTime(String eventName) {
    for (int i = 0; i < eventNames.size(); i++) {
      if (eventNames.get(i).equals(eventName)) {
        return eventTimes[i];
      }
    }
    return Long.MIN_VALUE;
  }

  /** True when the key is one reqflow reads; others are skipped without decoding their value. */
  static boolean wanted(String key) {
    switch (key) {
      case Attr.SPAN_TYPE:
      case Attr.HTTP_REQUEST_METHOD:
      case "http.method":
      case Attr.URL_FULL:
      case "http.url":
      case Attr.URL_PATH:
      case Attr.HTTP_ROUTE:
      case "http.target":
      case Attr.SERVER_ADDRESS:
      case "net.peer.name":
      case Attr.SERVER_PORT:
      case "net.peer.port":
      case Attr.HTTP_RESPONSE_STATUS_CODE:
      case "http.status_code":
      case Attr.ERROR_TYPE:
      case Attr.THREAD_ID:
      case Attr.THREAD_NAME:
      case Attr.THREAD_ROLE:
      case Attr.CODE_FUNCTION_NAME:
      case "code.function":
      case "code.namespace":
      case Attr.CODE_FILE_PATH:
      case "code.filepath":
      case Attr.CODE_LINE_NUMBER:
      case "code.lineno":
      case Attr.FLOW_NAME:
      case Attr.SECTION_NAME:
      case Attr.CALL_CLIENT:
      case Attr.CALL_MODE:
      case Attr.CONNECTION_REUSED:
      case Attr.POOL_NAME:
      case Attr.POOL_KIND:
      case Attr.POOL_LIMIT:
      case Attr.POOL_LIMIT_PER_HOST:
      case Attr.BLOCK_KIND:
        return true;
      default:
        return false;
    }
  }

  /** Sets a wanted attribute: value is a String, Long, Double or Boolean. */
  void attr(String key, Object value) {
    switch (key) {
      case Attr.SPAN_TYPE:
        spanType = str(value);
        break;
      case Attr.HTTP_REQUEST_METHOD:
        method = str(value);
        break;
      case "http.method":
        if (method == null) {
          method = str(value);
        }
        break;
      case Attr.URL_FULL:
        url = str(value);
        break;
      case "http.url":
        if (url == null) {
          url = str(value);
        }
        break;
      case Attr.URL_PATH:
      case "http.target":
        urlPath = str(value);
        break;
      case Attr.HTTP_ROUTE:
        route = str(value);
        break;
      case Attr.SERVER_ADDRESS:
        host = str(value);
        break;
      case "net.peer.name":
        if (host == null) {
          host = str(value);
        }
        break;
      case Attr.SERVER_PORT:
      case "net.peer.port":
        port = num(value);
        break;
      case Attr.HTTP_RESPONSE_STATUS_CODE:
      case "http.status_code":
        status = num(value);
        break;
      case Attr.ERROR_TYPE:
        errorType = str(value);
        break;
      case Attr.THREAD_ID:
        threadId = num(value);
        break;
      case Attr.THREAD_NAME:
        threadName = str(value);
        break;
      case Attr.THREAD_ROLE:
        threadRole = str(value);
        break;
      case Attr.CODE_FUNCTION_NAME:
        codeFunction = str(value);
        break;
      case "code.function":
        codeFunction = codeFunction == null ? str(value) : codeFunction + "." + str(value);
        break;
      case "code.namespace":
        codeFunction = codeFunction == null ? str(value) : str(value) + "." + codeFunction;
        break;
      case Attr.CODE_FILE_PATH:
      case "code.filepath":
        codeFile = str(value);
        break;
      case Attr.CODE_LINE_NUMBER:
      case "code.lineno":
        codeLine = num(value);
        break;
      case Attr.FLOW_NAME:
        flowName = str(value);
        break;
      case Attr.SECTION_NAME:
        sectionName = str(value);
        break;
      case Attr.CALL_CLIENT:
        client = str(value);
        break;
      case Attr.CALL_MODE:
        mode = str(value);
        break;
      case Attr.CONNECTION_REUSED:
        reused = value instanceof Boolean b ? b : Boolean.valueOf(str(value));
        break;
      case Attr.POOL_NAME:
        poolName = str(value);
        break;
      case Attr.POOL_KIND:
        poolKind = str(value);
        break;
      case Attr.POOL_LIMIT:
        poolLimit = num(value);
        break;
      case Attr.POOL_LIMIT_PER_HOST:
        poolLimitPerHost = num(value);
        break;
      case Attr.BLOCK_KIND:
        blockKind = str(value);
        break;
      default:
        break;
    }
  }

  private static String str(Object value) {
    return String.valueOf(value);
  }

  private static long num(Object value) {
    if (value instanceof Number n) {
      return n.longValue();
    }
    try {
      return Long.parseLong(String.valueOf(value));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
