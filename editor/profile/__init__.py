"""Report profiles: which parts a report type has, default headings, field hints."""

from .loader import BodyType, PartSpec, Profile, ProfileError, load_profile

__all__ = ["BodyType", "PartSpec", "Profile", "ProfileError", "load_profile"]
