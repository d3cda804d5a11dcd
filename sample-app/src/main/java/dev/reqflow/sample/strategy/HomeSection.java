package dev.reqflow.sample.strategy;

import dev.reqflow.sample.page.PageRequest;

/** The sections of the home page, in page order, and the backend call each one needs. */
enum HomeSection {
  USER("user", "Welcome back"),
  RECOMMENDATIONS("recommendations", "Recommended for you"),
  REVIEWS("reviews", "What customers say"),
  CART("cart", "Your cart"),
  ADS("ads", "Sponsored"),
  DEALS("deals", "Today's deals");

  private final String id;
  private final String title;

  HomeSection(String id, String title) {
    this.id = id;
    this.title = title;
  }

  String id() {
    return id;
  }

  String title() {
    return title;
  }

  /** The call for this section, with the user id that came with the request. */
  String url(BackendUrls backends, PageRequest request) {
    return switch (this) {
      case USER -> backends.user(request.session());
      case RECOMMENDATIONS -> backends.recommendations(request.userId());
      case REVIEWS -> backends.reviews();
      case CART -> backends.cart(request.session());
      case ADS -> backends.ads();
      case DEALS -> backends.deals();
    };
  }
}
