package com.example.mvc;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;

/**
 * A Spring Boot MVC service (embedded Tomcat) whose pages call slow backends with {@code
 * RestTemplate}. Usage: {@code java -jar spring-mvc-resttemplate.jar --server.port=0
 * --backends=http://127.0.0.1:PORT/}; prints {@code pages: URL} once it serves.
 */
@SpringBootApplication
public class MvcRestTemplateApp {

  public static void main(String[] args) {
    SpringApplication.run(MvcRestTemplateApp.class, args);
  }

  @EventListener
  public void serving(WebServerInitializedEvent event) {
    System.out.println("pages: http://127.0.0.1:" + event.getWebServer().getPort() + "/");
  }
}
