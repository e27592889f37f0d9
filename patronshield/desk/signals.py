from django.dispatch import Signal

# Sent after an encounter's record is closed (after the transaction): encounter, user.
encounter_closed = Signal()

# Sent inside the daily purge's transaction: library, now. Receivers purge their own record
# types past the library's schedule and return counts for the purge report.
purge_due = Signal()
