"""Supplier memory at extraction: a supplier's fields read where a reviewer confirmed them on
an earlier document of the same supplier (`recall`), trusted as often as that has been right.

May import: read, values, result, errors and schemas; never the pipeline, storage or the
model (the store turns database rows into `Memory` values and back).
"""
