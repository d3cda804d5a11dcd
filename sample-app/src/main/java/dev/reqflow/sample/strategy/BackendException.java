package dev.reqflow.sample.strategy;

import java.io.IOException;

/** A backend answered, but not with success: its section renders this message instead. */
final class BackendException extends IOException {
  BackendException(String url, int status) {
    super(url + " answered " + status);
  }
}
