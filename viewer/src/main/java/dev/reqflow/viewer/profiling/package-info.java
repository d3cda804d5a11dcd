/** What the viewer's threads spend their time on, as JDK Flight Recorder events. */
package dev.reqflow.viewer.profiling;
