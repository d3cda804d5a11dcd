package dev.reqflow.viewer.timeline;

import dev.reqflow.flow.Block;
import dev.reqflow.flow.Call;
import dev.reqflow.flow.Flow;
import dev.reqflow.flow.ThreadLane;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * What the timeline writes on calls and lanes. Calls: method and path, the host only when the
 * flow's calls go to more than one ({@code GET /users/42}, {@code GET users:8081/users/42}); the
 * full URL is in the tooltip and the details. Lanes: the thread's name, made distinct when threads
 * share one (OkHttp names its dispatcher threads after the redacted URL they serve, so four lanes
 * would all read {@code OkHttp http://127.0.0.1:38053/...}). Pure.
 */
public final class Names {
  private Names() {}

  /**
   * Between a lane's thread name and what its thread did, when threads share a name ({@code OkHttp
   * #183 · waits /recommendations}).
   */
  public static final String SUBJECT_SEPARATOR = " · ";

  /** The label of each call of the flow, indexed like {@link Flow#calls()}. */
  public static String[] callLabels(Flow flow) {
    List<Call> calls = flow.calls();
    Set<String> hosts = new HashSet<>();
    for (Call c : calls) {
      hosts.add(c.hostPort());
      if (hosts.size() > 1) {
        break;
      }
    }
    boolean withHost = hosts.size() > 1;
    String[] out = new String[calls.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = callLabel(calls.get(i), withHost);
    }
    return out;
  }

  /** {@code GET /users/42}, with {@code host:port} before the path when {@code withHost}. */
  public static String callLabel(Call c, boolean withHost) {
    String path = path(c.url());
    String what;
    if (path == null) {
      what = c.hostPort().isEmpty() ? "call" : c.hostPort();
    } else {
      what = withHost && !c.hostPort().isEmpty() ? c.hostPort() + path : path;
    }
    return c.method().isEmpty() ? what : c.method() + " " + what;
  }

  /**
   * The path of a URL without its query ({@code /users/42}); {@code /} for none; null when there is
   * no URL.
   */
  static String path(String url) {
    if (url.isEmpty()) {
      return null;
    }
    try {
      String p = URI.create(url).getRawPath();
      if (p != null) {
        return p.isEmpty() ? "/" : p;
      }
    } catch (IllegalArgumentException e) {
      // not a URI: cut by hand below
    }
    int scheme = url.indexOf("://");
    String rest = scheme >= 0 ? url.substring(scheme + 3) : url;
    int slash = rest.indexOf('/');
    String p = slash >= 0 ? rest.substring(slash) : "/";
    int q = p.indexOf('?');
    return q >= 0 ? p.substring(0, q) : p;
  }

  /** The name of each lane of the flow, distinct from the others, indexed like the lanes. */
  public static String[] laneNames(Flow flow) {
    String[] labels = callLabels(flow);
    return laneNames(flow, i -> labels[i]);
  }

  /** As {@link #laneNames(Flow)}, with the calls' labels given by index. */
  public static String[] laneNames(Flow flow, IntFunction<String> labels) {
    List<ThreadLane> lanes = flow.lanes();
    Map<String, Integer> callIndex = new HashMap<>();
    for (int i = 0; i < flow.calls().size(); i++) {
      callIndex.putIfAbsent(flow.calls().get(i).spanId(), i);
    }
    String[] base = new String[lanes.size()];
    Map<String, Integer> count = new HashMap<>();
    for (int l = 0; l < lanes.size(); l++) {
      base[l] = baseName(lanes.get(l));
      count.merge(base[l], 1, Integer::sum);
    }
    String[] out = new String[lanes.size()];
    Map<String, Integer> seen = new HashMap<>();
    for (int l = 0; l < lanes.size(); l++) {
      String name = base[l];
      if (count.get(name) > 1) {
        String subject = subject(lanes.get(l), labels, callIndex);
        name = subject.isEmpty() ? name : name + SUBJECT_SEPARATOR + subject;
      }
      out[l] = name;
      seen.merge(name, 1, Integer::sum);
    }
    // Still alike (two lanes that did the same thing): the thread id tells them apart, first, so
    // that a gutter too narrow for the rest still does.
    for (int l = 0; l < lanes.size(); l++) {
      if (seen.get(out[l]) > 1) {
        long id = lanes.get(l).thread().id();
        String tag = id >= 0 ? " #" + id : " (" + (l + 1) + ")";
        out[l] =
            out[l].startsWith(base[l])
                ? base[l] + tag + out[l].substring(base[l].length())
                : out[l] + tag;
      }
    }
    return out;
  }

  /**
   * The thread's name without a URL in it ({@code OkHttp http://h:1/...} becomes {@code OkHttp}).
   */
  private static String baseName(ThreadLane lane) {
    String name = lane.thread().label();
    int url = name.indexOf("://");
    if (url > 0) {
      int start = name.lastIndexOf(' ', url);
      String head = start > 0 ? name.substring(0, start).trim() : "";
      if (!head.isEmpty()) {
        return head;
      }
    }
    return name;
  }

  /** What a lane did, short: its first call, or what its first wait waited for. */
  private static String subject(
      ThreadLane lane, IntFunction<String> labels, Map<String, Integer> callIndex) {
    if (!lane.issuedCalls().isEmpty()) {
      Integer i = callIndex.get(lane.issuedCalls().get(0).spanId());
      return i == null ? "" : labels.apply(i);
    }
    List<String> released = new ArrayList<>();
    for (Block b : lane.blocks()) {
      for (String id : b.releasedBy()) {
        Integer i = callIndex.get(id);
        if (i != null) {
          released.add(labels.apply(i));
        }
      }
      if (!released.isEmpty()) {
        return "waits " + stripMethod(released.get(0));
      }
    }
    return "";
  }

  private static String stripMethod(String label) {
    int space = label.indexOf(' ');
    return space > 0 && label.indexOf('/') > space ? label.substring(space + 1) : label;
  }
}
