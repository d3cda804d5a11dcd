package dev.reqflow.agent.it;

/** Apache HttpClient 5.x classic on Java 25 (skipped where that JDK is absent). */
class ApacheHc5ClassicJdk25IT extends ApacheHc5ClassicIT {
  @Override
  String javaHome() {
    return jdk25().toString();
  }
}
