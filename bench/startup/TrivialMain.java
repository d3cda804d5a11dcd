import java.net.http.HttpClient;

/**
 * The startup benchmark's application: creates a JDK HttpClient (as a service's start does) and
 * exits. Prints nothing on success, so that the agent's own lines are all that is seen.
 */
public final class TrivialMain {
  public static void main(String[] args) {
    HttpClient client = HttpClient.newHttpClient();
    if (client.version() == null) {
      throw new AssertionError("no HTTP version");
    }
  }
}
