package dev.reqflow.sample.page;

/**
 * One part of the page: its element id, its heading, and the wait for its data.
 *
 * @param id the {@code <section id>}, also how tests find it
 * @param title the heading shown above the data
 * @param data how to get the section's data: a wait on a future, or the call itself
 */
public record Section(String id, String title, SectionData data) {}
