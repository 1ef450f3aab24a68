"""The validation engine: proofreading findings and checklist coverage (issue #4)."""
