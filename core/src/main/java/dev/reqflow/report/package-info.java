/**
 * The {@code report} command ({@link dev.reqflow.report.ReportCli}) and its text, Markdown and JSON
 * writers, all from the same analysis.
 */
package dev.reqflow.report;
