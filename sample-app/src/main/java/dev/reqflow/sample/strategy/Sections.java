package dev.reqflow.sample.strategy;

import dev.reqflow.sample.page.Section;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Home sections in page order, each waiting on the future of its call. */
final class Sections {
  private Sections() {}

  static List<Section> joining(Map<HomeSection, CompletableFuture<String>> bodies) {
    List<Section> sections = new ArrayList<>();
    for (HomeSection section : HomeSection.values()) {
      CompletableFuture<String> body = bodies.get(section);
      sections.add(new Section(section.id(), section.title(), body::join));
    }
    return sections;
  }
}
