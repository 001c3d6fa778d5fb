"""How long a sign-in must wait after failures: growing delays instead of a lock-out.

A lock-out that any stranger can trigger (five wrong passwords for someone else's name)
locks the real editor out; so a failure never locks, it only makes the *next* attempt for
the same key wait, with the wait doubling per failure up to a cap.  Two keys are
throttled, and an attempt must pass both:

* **the client** (its address) is throttled strictly: 3 free failures within an hour,
  then 2 s, 4 s, 8 s … up to 15 minutes.  This is what slows a guesser down.
* **the account** (the name as typed) is throttled gently: 5 free failures within
  15 minutes, then 1 s, 2 s, 4 s … up to 60 s.  It bounds guessing spread over many
  addresses to about one guess a minute per name, while the most a stranger can make the
  real editor (on another address) wait is that 60 s cap: the stranger's own address is
  throttled long before the account's delay grows large.

Only checked passwords count as failures: a refused (throttled) attempt checks nothing,
so hammering while throttled neither guesses nor makes anyone's wait longer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Policy:
    """``free`` failures within ``window_seconds`` cost nothing; failure number
    ``free + k`` (k ≥ 0) makes the next attempt wait ``base_seconds * 2**k``, at most
    ``cap_seconds``."""

    free: int
    base_seconds: float
    cap_seconds: float
    window_seconds: float

    def delay_after(self, failures: int) -> float:
        """The wait after the last of ``failures`` recent failures."""
        if failures < self.free:
            return 0.0
        # min() on the exponent first: 2**failures for a huge count would be a huge int.
        doublings = min(failures - self.free, 64)
        return min(self.cap_seconds, self.base_seconds * 2.0**doublings)

    def wait_seconds(self, failure_times: Sequence[float], now: float) -> float:
        """Seconds until the next attempt is accepted (0: now), from the times (epoch
        seconds) of the failures; those older than the window are ignored."""
        recent = [when for when in failure_times if now - when < self.window_seconds]
        if not recent:
            return 0.0
        return max(0.0, max(recent) + self.delay_after(len(recent)) - now)

    @property
    def rows_needed(self) -> int:
        """Failures beyond this many change nothing (the delay has reached its cap), so
        storage may drop the older ones."""
        count = self.free
        while self.delay_after(count) < self.cap_seconds:
            count += 1
        return count + 1


CLIENT_POLICY = Policy(free=3, base_seconds=2.0, cap_seconds=15 * 60.0, window_seconds=3600.0)
ACCOUNT_POLICY = Policy(free=5, base_seconds=1.0, cap_seconds=60.0, window_seconds=15 * 60.0)
LONGEST_WINDOW_SECONDS = max(CLIENT_POLICY.window_seconds, ACCOUNT_POLICY.window_seconds)
