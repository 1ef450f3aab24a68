"""The words the checker and the window use for the state of things, defined once.

They live in the model (light to import) so that the window can use them at start, before the
checking engine is loaded, and so that no module keeps a copy of its own.
"""

# A finding's severity
ERROR = "error"
WARNING = "warning"
INFO = "info"
# A checklist item's severity for a body type
REQUIRED = "required"
RECOMMENDED = "recommended"
OPTIONAL = "optional"
# Whether the text covers a checklist item (ItemResult.auto), and how surely (strength)
MET = "met"
MISSING = "missing"
STRONG = "strong"
WEAK = "weak"
# A reviewer's tick on an item (ItemResult.review)
TICKED = "ticked"
UNTICKED = "unticked"
STALE = "stale"
# A section's review state (Section.status): 待审 / 已审; "outdated" (待更新) after a rollover
PENDING = "pending"
APPROVED = "approved"
OUTDATED = "outdated"
