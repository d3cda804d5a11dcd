package dev.reqflow.agent.content;

/**
 * The values of a JSON document as they stream by: strings (unescaped) and numbers (as written),
 * {@link #MIN_LENGTH} to {@link #MAX_LENGTH} bytes long. Object keys, literals and structure are
 * left out: a key names a field of the schema, not a value a later request could carry. Input that
 * does not start like JSON (an object or an array) yields nothing.
 *
 * <p>Incremental: a token may span the pieces given to {@link #feed}; {@link #end} flushes the last
 * one. The document is done when its outermost object or array closes. Allocates one buffer, at
 * construction. Not thread-safe.
 */
public final class JsonTokens {
  /** Shorter values ({@code 1}, {@code "en"}) are too common to tell a data flow. */
  public static final int MIN_LENGTH = 3;

  /** Longer values are not ids; they are skipped whole. */
  public static final int MAX_LENGTH = 256;

  private static final int START = 0;
  private static final int OUTSIDE = 1;
  private static final int STRING = 2;
  private static final int ESCAPE = 3;
  private static final int NUMBER = 4;
  private static final int AFTER_STRING = 5;
  private static final int NOT_JSON = 6;

  private final TokenSink sink;
  private final byte[] buf = new byte[MAX_LENGTH];
  private int len;
  private boolean tooLong;
  private int state = START;
  private int depth;

  public JsonTokens(TokenSink sink) {
    this.sink = sink;
  }

  /** False once the document closed, or the input showed it is not JSON: more is useless. */
  public boolean wanted() {
    return state != NOT_JSON;
  }

  public void feed(byte[] b, int off, int n) {
    for (int i = off; i < off + n && state != NOT_JSON; i++) {
      step(b[i]);
    }
  }

  /** The input ended: a number or a string value still open is a token. */
  public void end() {
    if (state == NUMBER || state == AFTER_STRING) {
      emit();
    }
    state = NOT_JSON;
  }

  private void step(byte c) {
    switch (state) {
      case START:
        if (c == '{' || c == '[') {
          state = OUTSIDE;
          depth = 1;
        } else if (!whitespace(c)) {
          state = NOT_JSON;
        }
        return;
      case STRING:
        if (c == '"') {
          state = AFTER_STRING;
        } else if (c == '\\') {
          state = ESCAPE;
        } else {
          append(c);
        }
        return;
      case ESCAPE:
        append(unescape(c));
        state = STRING;
        return;
      case NUMBER:
        if ((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
          append(c);
          return;
        }
        emit();
        state = OUTSIDE;
        outside(c);
        return;
      case AFTER_STRING:
        if (whitespace(c)) {
          return;
        }
        if (c != ':') {
          emit();
        }
        state = OUTSIDE;
        outside(c);
        return;
      default:
        outside(c);
    }
  }

  private void outside(byte c) {
    if (c == '{' || c == '[') {
      depth++;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) {
        state = NOT_JSON;
      }
    } else if (c == '"') {
      begin();
      state = STRING;
    } else if ((c >= '0' && c <= '9') || c == '-') {
      begin();
      append(c);
      state = NUMBER;
    }
  }

  private void begin() {
    len = 0;
    tooLong = false;
  }

  private void append(byte c) {
    if (len < MAX_LENGTH) {
      buf[len++] = c;
    } else {
      tooLong = true;
    }
  }

  private void emit() {
    if (!tooLong && len >= MIN_LENGTH) {
      sink.token(buf, 0, len);
    }
    len = 0;
  }

  private static byte unescape(byte c) {
    switch (c) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      default:
        // \" \\ \/ stand for themselves; \\uXXXX is kept as written (ids rarely need it).
        return c;
    }
  }

  private static boolean whitespace(byte c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }
}
