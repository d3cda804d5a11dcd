package dev.reqflow.sample;

/** Entry point of the sample app jar. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("reqflow sample app");
  }
}
