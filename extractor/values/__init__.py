"""Typed values shared by every stage: normalising raw text into dates, amounts, codes and
identifiers, the business-rule checks, and typed candidates found in text.

May import `schemas` and the spine; no other stage.
"""
