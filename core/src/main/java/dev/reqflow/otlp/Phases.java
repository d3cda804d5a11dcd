package dev.reqflow.otlp;

import dev.reqflow.contract.TraceContract.Event;
import dev.reqflow.flow.Phase;
import dev.reqflow.flow.PhaseKind;
import java.util.ArrayList;
import java.util.List;

/** Derives a call's phases from the contract's phase events. */
final class Phases {
  private static final long NONE = Long.MIN_VALUE;

  private Phases() {}

  /**
   * Phases of a call that runs from start to end; event times are clamped into the call. A phase
   * needs both of its events (the queued phase starts at the issue time, the download ends at the
   * body's end or the call's).
   */
  static List<Phase> of(RawSpan s, long start, long end, long shift) {
    if (s.eventCount == 0) {
      return List.of();
    }
    long dispatched = at(s, Event.DISPATCHED, start, end, shift);
    long dnsStart = at(s, Event.DNS_START, start, end, shift);
    long dnsEnd = at(s, Event.DNS_END, start, end, shift);
    long connectStart = at(s, Event.CONNECT_START, start, end, shift);
    long connectEnd = at(s, Event.CONNECT_END, start, end, shift);
    long tlsStart = at(s, Event.TLS_START, start, end, shift);
    long tlsEnd = at(s, Event.TLS_END, start, end, shift);
    long acquired = at(s, Event.CONNECTION_ACQUIRED, start, end, shift);
    long sent = at(s, Event.REQUEST_SENT, start, end, shift);
    long firstByte = at(s, Event.RESPONSE_FIRST_BYTE, start, end, shift);
    long bodyDone = at(s, Event.RESPONSE_BODY_DONE, start, end, shift);

    List<Phase> out = new ArrayList<>(7);
    add(out, PhaseKind.QUEUED, dispatched == NONE ? NONE : start, dispatched);
    add(out, PhaseKind.DNS, dnsStart, dnsEnd);
    // OkHttp's connect events span the TLS handshake: connect ends where TLS starts.
    long tcpEnd =
        tlsStart != NONE && connectStart != NONE && tlsStart >= connectStart
            ? tlsStart
            : connectEnd;
    add(out, PhaseKind.CONNECT, connectStart, tcpEnd);
    add(out, PhaseKind.TLS, tlsStart, tlsEnd);
    if (sent != NONE) {
      long ready = latest(sent, dispatched, dnsEnd, connectEnd, tlsEnd, acquired);
      add(out, PhaseKind.SEND, ready == NONE ? start : ready, sent);
    }
    if (firstByte != NONE) {
      long from = sent != NONE ? sent : latest(firstByte, dispatched, connectEnd, tlsEnd, acquired);
      add(out, PhaseKind.SERVER, from == NONE ? start : from, firstByte);
      add(out, PhaseKind.DOWNLOAD, firstByte, bodyDone != NONE ? bodyDone : end);
    }
    out.sort((a, b) -> Long.compare(a.startNanos(), b.startNanos()));
    return out;
  }

  private static long at(RawSpan s, String name, long start, long end, long shift) {
    long t = s.eventTime(name);
    if (t == NONE) {
      return NONE;
    }
    return Math.min(end, Math.max(start, t + shift));
  }

  /** The latest of the given moments that are not after limit, or NONE. */
  private static long latest(long limit, long... moments) {
    long best = NONE;
    for (long m : moments) {
      if (m != NONE && m <= limit && m > best) {
        best = m;
      }
    }
    return best;
  }

  private static void add(List<Phase> out, PhaseKind kind, long from, long to) {
    if (from != NONE && to != NONE && to > from) {
      out.add(new Phase(kind, from, to));
    }
  }
}
