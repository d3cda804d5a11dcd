package dev.reqflow.analysis;

import dev.reqflow.flow.Flow;
import dev.reqflow.flow.Timeline;

/** Three services in one trace: a page, the service B it calls, the service C that B calls. */
public final class AcrossServicesFixture {
  private AcrossServicesFixture() {}

  /** The page, in service page-service: it waits 300 ms on its call a to B. */
  public static Flow page() {
    return Timeline.parse(
        10,
        "GET /home",
        "t1",
        "render |=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=|",
        "a      | ssssssssssssssssssssssssssssss | url=http://b:80/recommendations site=31");
  }

  /**
   * B's flow for call a: it waits 250 ms on its call x to C, then 30 ms on y, which it could have
   * issued together with x.
   */
  public static Flow recommendations() {
    return Timeline.parse(
        10,
        "GET /recommendations",
        "t1",
        "render |=xxxxxxxxxxxxxxxxxxxxxxxxx=yyy|  service=B flow-id=fb parent=a start-ms=10",
        "x      | sssssssssssssssssssssssss    | url=http://c:80/scores mode=sync site=41",
        "y      |                           sss| url=http://d:80/tags mode=sync site=42"
            + " after-wait=x");
  }

  /** C's flow for B's call x: it waits 200 ms on the database's HTTP API. */
  public static Flow scores() {
    return Timeline.parse(
        10,
        "GET /scores",
        "t1",
        "render |=zzzzzzzzzzzzzzzzzzzz===|  service=C flow-id=fc parent=x start-ms=20",
        "z      | ssssssssssssssssssss   | url=http://db:80/q");
  }
}
