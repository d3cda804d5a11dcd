package dev.reqflow.otlp;

import dev.reqflow.contract.TraceContract.Attr;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

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

  /** The endpoint name given when the traces were assembled, or null before. */
  String endpoint;

  /** {@code url.template}: the path template a client or server span may carry. */
  String urlTemplate;

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
  String flowSampling;
  String flowSampledBecause;
  String sectionName;
  String client;
  String mode;
  Boolean reused;
  String poolName;
  String poolKind;
  long poolLimit;
  long poolLimitPerHost;
  String poolCodeFunction;
  String poolCodeFile;
  long poolCodeLine;
  String blockKind;
  String blockCompletedBy;
  String requestHash;
  String lockClass;
  String incomplete;

  // Snapshots of flows in progress (see TraceContract.Attr.IN_PROGRESS).
  boolean inProgress;
  long snapshotSeq;

  /**
   * Fields few spans have (snapshots of flows in progress, what a flow's agent could not see):
   * apart, so that the million spans of a large file do not each carry them.
   */
  static final class More {
    static final More NONE = new More();

    String snapshotReason;
    long stallAfterNanos;
    long snapshotLeftOut;
    String threadState;
    String threadFrame;
    String threadExecutor;
    long threadExecutorLimit;
    long threadExecutorActive = -1;
    long threadExecutorQueued = -1;
    String waitTaskState;
    String waitTaskExecutor;
    String waitTaskThread;
    String callExecutor;
    long unseenSocketNanos;
    long unseenSocketOps;
    long unseenWaitNanos;
    String unseenLockWaits;
    List<String> librariesUnrecorded;
  }

  private More more;

  /** The rare fields: read-only defaults when the span has none. */
  More more() {
    return more != null ? more : More.NONE;
  }

  private More edit() {
    if (more == null) {
      more = new More();
    }
    return more;
  }

  // Arrays made on first use: a million spans, most with no links and many with no events.
  private static final String[] NO_NAMES = new String[0];
  private static final long[] NO_TIMES = new long[0];

  String[] eventNames = NO_NAMES;
  long[] eventTimes = NO_TIMES;
  int eventCount;

  /** Links as (span id, link type) pairs; links to other traces are kept, and later not found. */
  String[] linkSpanIds = NO_NAMES;

  String[] linkTypes = NO_NAMES;
  int linkCount;

  void addEvent(String eventName, long timeNanos) {
    if (eventCount == eventNames.length) {
      int size = Math.max(12, eventCount * 2);
      eventNames = Arrays.copyOf(eventNames, size);
      eventTimes = Arrays.copyOf(eventTimes, size);
    }
    eventNames[eventCount] = eventName;
    eventTimes[eventCount++] = timeNanos;
  }

  void addLink(String linkedSpanId, String linkType) {
    if (linkCount == linkSpanIds.length) {
      int size = Math.max(2, linkCount * 2);
      linkSpanIds = Arrays.copyOf(linkSpanIds, size);
      linkTypes = Arrays.copyOf(linkTypes, size);
    }
    linkSpanIds[linkCount] = linkedSpanId;
    linkTypes[linkCount++] = linkType;
  }

  /**
   * Cuts the event and link arrays to what they hold, once the span is read: they grow by doubling,
   * and a million spans are held until their traces are assembled.
   */
  void trim() {
    if (eventCount < eventNames.length) {
      eventNames = eventCount == 0 ? NO_NAMES : Arrays.copyOf(eventNames, eventCount);
      eventTimes = eventCount == 0 ? NO_TIMES : Arrays.copyOf(eventTimes, eventCount);
    }
    if (linkCount < linkSpanIds.length) {
      linkSpanIds = Arrays.copyOf(linkSpanIds, linkCount);
      linkTypes = Arrays.copyOf(linkTypes, linkCount);
    }
  }

  /** Time of the first event of that name, or {@link Long#MIN_VALUE}. */
  long eventTime(String eventName) {
    for (int i = 0; i < eventCount; i++) {
      if (eventNames[i].equals(eventName)) {
        return eventTimes[i];
      }
    }
    return Long.MIN_VALUE;
  }

  /** The attribute keys reqflow reads; others are skipped without decoding their value. */
  static final List<String> KEYS =
      List.of(
          Attr.SPAN_TYPE,
          Attr.HTTP_REQUEST_METHOD,
          "http.method",
          Attr.URL_FULL,
          "http.url",
          Attr.URL_PATH,
          Attr.HTTP_ROUTE,
          "url.template",
          "http.target",
          Attr.SERVER_ADDRESS,
          "net.peer.name",
          Attr.SERVER_PORT,
          "net.peer.port",
          Attr.HTTP_RESPONSE_STATUS_CODE,
          "http.status_code",
          Attr.ERROR_TYPE,
          Attr.THREAD_ID,
          Attr.THREAD_NAME,
          Attr.THREAD_ROLE,
          Attr.CODE_FUNCTION_NAME,
          "code.function",
          "code.namespace",
          Attr.CODE_FILE_PATH,
          "code.filepath",
          Attr.CODE_LINE_NUMBER,
          "code.lineno",
          Attr.FLOW_NAME,
          Attr.FLOW_SAMPLING,
          Attr.FLOW_SAMPLED_BECAUSE,
          Attr.SECTION_NAME,
          Attr.CALL_CLIENT,
          Attr.CALL_MODE,
          Attr.CONNECTION_REUSED,
          Attr.POOL_NAME,
          Attr.POOL_KIND,
          Attr.POOL_LIMIT,
          Attr.POOL_LIMIT_PER_HOST,
          Attr.POOL_CODE_FUNCTION_NAME,
          Attr.POOL_CODE_FILE_PATH,
          Attr.POOL_CODE_LINE_NUMBER,
          Attr.BLOCK_KIND,
          Attr.BLOCK_COMPLETED_BY,
          Attr.UNSEEN_SOCKET_NANOS,
          Attr.UNSEEN_SOCKET_OPS,
          Attr.UNSEEN_WAIT_NANOS,
          Attr.LIBRARIES_UNRECORDED,
          Attr.UNSEEN_LOCK_WAITS,
          Attr.REQUEST_HASH,
          Attr.LOCK_CLASS,
          Attr.CALL_INCOMPLETE,
          Attr.IN_PROGRESS,
          Attr.SNAPSHOT_SEQ,
          Attr.SNAPSHOT_REASON,
          Attr.STALL_AFTER_NANOS,
          Attr.SNAPSHOT_LEFT_OUT,
          Attr.THREAD_STATE,
          Attr.THREAD_FRAME,
          Attr.THREAD_EXECUTOR,
          Attr.THREAD_EXECUTOR_LIMIT,
          Attr.THREAD_EXECUTOR_ACTIVE,
          Attr.THREAD_EXECUTOR_QUEUED,
          Attr.WAIT_TASK_STATE,
          Attr.WAIT_TASK_EXECUTOR,
          Attr.WAIT_TASK_THREAD,
          Attr.CALL_EXECUTOR);

  private static final Set<String> KEY_SET = Set.copyOf(KEYS);

  static boolean wanted(String key) {
    return KEY_SET.contains(key);
  }

  /** Sets a wanted attribute: value is a String, Long, Double, Boolean or a List of strings. */
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
        urlPath = str(value);
        break;
      case "http.target":
        if (urlPath == null) {
          // The old convention's target carries the query: the path is what names an endpoint.
          String target = str(value);
          int q = target.indexOf('?');
          urlPath = q < 0 ? target : target.substring(0, q);
        }
        break;
      case "url.template":
        urlTemplate = str(value);
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
      case Attr.FLOW_SAMPLING:
        flowSampling = str(value);
        break;
      case Attr.FLOW_SAMPLED_BECAUSE:
        flowSampledBecause = str(value);
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
      case Attr.POOL_CODE_FUNCTION_NAME:
        poolCodeFunction = str(value);
        break;
      case Attr.POOL_CODE_FILE_PATH:
        poolCodeFile = str(value);
        break;
      case Attr.POOL_CODE_LINE_NUMBER:
        poolCodeLine = num(value);
        break;
      case Attr.BLOCK_KIND:
        blockKind = str(value);
        break;
      case Attr.BLOCK_COMPLETED_BY:
        blockCompletedBy = str(value);
        break;
      case Attr.UNSEEN_SOCKET_NANOS:
        edit().unseenSocketNanos = Math.max(0, num(value));
        break;
      case Attr.UNSEEN_SOCKET_OPS:
        edit().unseenSocketOps = Math.max(0, num(value));
        break;
      case Attr.UNSEEN_WAIT_NANOS:
        edit().unseenWaitNanos = Math.max(0, num(value));
        break;
      case Attr.LIBRARIES_UNRECORDED:
        edit().librariesUnrecorded = strings(value);
        break;
      case Attr.UNSEEN_LOCK_WAITS:
        edit().unseenLockWaits = str(value);
        break;
      case Attr.REQUEST_HASH:
        requestHash = str(value);
        break;
      case Attr.LOCK_CLASS:
        lockClass = str(value);
        break;
      case Attr.CALL_INCOMPLETE:
        incomplete = str(value);
        break;
      case Attr.IN_PROGRESS:
        inProgress = value instanceof Boolean b ? b : Boolean.parseBoolean(str(value));
        break;
      case Attr.SNAPSHOT_SEQ:
        snapshotSeq = Math.max(0, num(value));
        break;
      case Attr.SNAPSHOT_REASON:
        edit().snapshotReason = str(value);
        break;
      case Attr.STALL_AFTER_NANOS:
        edit().stallAfterNanos = Math.max(0, num(value));
        break;
      case Attr.SNAPSHOT_LEFT_OUT:
        edit().snapshotLeftOut = Math.max(0, num(value));
        break;
      case Attr.THREAD_STATE:
        edit().threadState = str(value);
        break;
      case Attr.THREAD_FRAME:
        edit().threadFrame = str(value);
        break;
      case Attr.THREAD_EXECUTOR:
        edit().threadExecutor = str(value);
        break;
      case Attr.THREAD_EXECUTOR_LIMIT:
        edit().threadExecutorLimit = Math.max(0, num(value));
        break;
      case Attr.THREAD_EXECUTOR_ACTIVE:
        edit().threadExecutorActive = Math.max(0, num(value));
        break;
      case Attr.THREAD_EXECUTOR_QUEUED:
        edit().threadExecutorQueued = Math.max(0, num(value));
        break;
      case Attr.WAIT_TASK_STATE:
        edit().waitTaskState = str(value);
        break;
      case Attr.WAIT_TASK_EXECUTOR:
        edit().waitTaskExecutor = str(value);
        break;
      case Attr.WAIT_TASK_THREAD:
        edit().waitTaskThread = str(value);
        break;
      case Attr.CALL_EXECUTOR:
        edit().callExecutor = str(value);
        break;
      default:
        break;
    }
  }

  /** A list attribute's strings; a single value is a list of one. */
  private static List<String> strings(Object value) {
    if (value instanceof List<?> list) {
      List<String> out = new java.util.ArrayList<>(list.size());
      for (Object o : list) {
        if (o != null) {
          out.add(String.valueOf(o));
        }
      }
      return out;
    }
    return List.of(String.valueOf(value));
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
