package dev.reqflow.agent.it;

/** Spring's {@code RestTemplate} on {@code HttpComponentsClientHttpRequestFactory}. */
class SpringRestTemplateIT extends SpringRestClientIT {
  @Override
  String client() {
    return "resttemplate";
  }
}
