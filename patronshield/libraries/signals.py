from django.dispatch import Signal

# Sent with library= and version= when a new version of a library's policy is adopted.
policy_adopted = Signal()
