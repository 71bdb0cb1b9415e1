"""Supplier memory at extraction: a supplier's fields read where a reviewer confirmed them on
an earlier document of the same supplier (`recall`), trusted as often as that has been right."""
