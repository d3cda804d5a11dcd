package dev.reqflow.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.exporter.internal.FailedExportException;
import io.opentelemetry.sdk.common.export.HttpResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import org.junit.jupiter.api.Test;

class SinkTest {

  @Test
  void failuresAreToldApart() {
    Throwable timeout =
        FailedExportException.httpFailedExceptionally(new HttpTimeoutException("t"));
    Throwable refused = FailedExportException.httpFailedExceptionally(new ConnectException());
    Throwable status = FailedExportException.httpFailedWithResponse(response(503));
    assertThat(Sink.isTimeout(timeout)).isTrue();
    assertThat(Sink.describe(timeout)).isEqualTo("timed out");
    assertThat(Sink.isTimeout(refused)).isFalse();
    assertThat(Sink.describe(refused)).isEqualTo("cannot connect");
    assertThat(Sink.isTimeout(status)).isFalse();
    assertThat(Sink.describe(status)).isEqualTo("HTTP 503");
    assertThat(Sink.describe(new IOException("disk full"))).contains("disk full");
    assertThat(Sink.describe(null)).isEqualTo("no reason given");
  }

  private static HttpResponse response(int status) {
    return new HttpResponse() {
      @Override
      public int getStatusCode() {
        return status;
      }

      @Override
      public String getStatusMessage() {
        return "";
      }

      @Override
      public byte[] getResponseBody() {
        return new byte[0];
      }
    };
  }
}
