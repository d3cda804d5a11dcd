package dev.reqflow.cases;

/**
 * A cost that the fix changes and the bad variant's recording cannot show: no call in it measures
 * that cost, so no analysis of the bad pages can predict it (a body the bad page never reads, a
 * handshake no reused connection shows by comparison). The bad pages are judged on a recording
 * without the fixed variant's, as a user has it before making the fix; there the prediction is a
 * bound, not an estimate, and its suggestion must say what it leaves out.
 *
 * @param what what the recording cannot show and why, for the details and the table
 * @param named the words the first suggestion's explanation must contain: its statement that the
 *     prediction leaves this cost out
 * @param fixCostsMore true when the left-out cost is the fix's (the fixed page takes at least the
 *     prediction: a lower bound); false when it is a saving (at most the prediction: an upper
 *     bound)
 */
public record BlindCost(String what, String named, boolean fixCostsMore) {
  public BlindCost {
    if (what.isBlank() || named.isBlank()) {
      throw new IllegalArgumentException("a blind cost needs what it is and the words naming it");
    }
  }

  /** "≥" for a lower bound on the fixed page's time, "≤" for an upper one. */
  public String sign() {
    return fixCostsMore ? "≥" : "≤";
  }
}
