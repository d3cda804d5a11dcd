/**
 * The what-if simulator: {@link dev.reqflow.whatif.WhatIf#of} prepares a flow's replay model once;
 * {@link dev.reqflow.whatif.WhatIf#predict} and {@link dev.reqflow.whatif.WhatIf#replay} run it
 * under {@link dev.reqflow.whatif.Change}s (issue calls early, pool limits, reused connections,
 * timeouts, dropped or shared calls, freed threads).
 */
package dev.reqflow.whatif;
