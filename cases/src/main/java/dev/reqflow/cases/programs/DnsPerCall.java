package dev.reqflow.cases.programs;

import dev.reqflow.cases.BlindCost;
import dev.reqflow.cases.Case;
import dev.reqflow.cases.Services;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dns;
import okhttp3.OkHttpClient;

/**
 * Keep-alive turned off: an OkHttp client whose pool keeps no idle connection, so every call looks
 * its host up again (here through a service registry, 80 ms, as with a discovery client that
 * resolves on every connect) and opens a new connection, handshake included.
 */
public final class DnsPerCall implements Case {
  private static final String HOST = "catalog.service";
  private static final HttpClient REGISTRY = HttpClient.newHttpClient();
  private static final ExecutorService POOL = Executors.newFixedThreadPool(4, Http.named("fetch"));
  private static volatile Services services;
  private static final Dns REGISTRY_DNS =
      hostname -> {
        if (!hostname.equals(HOST)) {
          return Dns.SYSTEM.lookup(hostname);
        }
        try {
          Http.send(REGISTRY, services.svc("registry", 80, "name=" + hostname));
          return List.of(InetAddress.getByAddress(HOST, new byte[] {127, 0, 0, 1}));
        } catch (IOException | InterruptedException e) {
          UnknownHostException failed = new UnknownHostException(hostname);
          failed.initCause(e);
          throw failed;
        }
      };
  private static final OkHttpClient NO_KEEP_ALIVE =
      new OkHttpClient.Builder()
          .dns(REGISTRY_DNS)
          .connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS))
          .build();
  private static final OkHttpClient KEEP_ALIVE =
      new OkHttpClient.Builder().dns(REGISTRY_DNS).build();

  @Override
  public String name() {
    return "dns-per-call";
  }

  @Override
  public String pattern() {
    return "keep-alive off: a DNS (registry) lookup and a new connection per call";
  }

  @Override
  public String expectedKind() {
    return "reuse-connections";
  }

  @Override
  public BlindCost blindInBad() {
    return new BlindCost(
        "what a new connection's first response waits beyond its DNS and connect (80 ms, a remote"
            + " host's handshake): keep-alive is off for every call to the host, so no reused"
            + " connection in the bad recording shows it by comparison",
        "The prediction leaves out what else a new connection costs a first response",
        false);
  }

  @Override
  public String fix() {
    return "the default connection pool (keep-alive)";
  }

  @Override
  public void bad(Services s) throws Exception {
    render(s, NO_KEEP_ALIVE);
  }

  @Override
  public void fixed(Services s) throws Exception {
    render(s, KEEP_ALIVE);
  }

  private static void render(Services s, OkHttpClient client) throws Exception {
    services = s;
    int port = URI.create(s.base()).getPort();
    List<Future<String>> parts = new ArrayList<>();
    for (String name : new String[] {"categories", "products", "prices", "stock"}) {
      String url = "http://" + HOST + ":" + port + "/svc/" + name + "?ms=200";
      parts.add(POOL.submit(() -> Http.get(client, url)));
    }
    for (Future<String> f : parts) {
      Http.await(f);
    }
  }
}
