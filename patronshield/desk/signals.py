from django.dispatch import Signal

# Sent after an encounter's record is closed (after the transaction): encounter, user.
# Drills are closed too: a receiver that counts or reports checks `encounter.drill`.
encounter_closed = Signal()

# Sent inside the daily purge's transaction: library, now. Receivers purge their own record
# types past the library's schedule and return counts for the purge report, and under
# "refs" the `ref` of every event whose content they deleted (e.g. ["records:12"]): the
# verifier accepts deleted content only where a purge event says so.
purge_due = Signal()
