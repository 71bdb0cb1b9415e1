"""Evaluation against labelled documents: truths from side-car JSON or embedded XML, the
comparison rules, and the harness that runs the pipeline over a folder and scores it.

Sits above the pipeline, like the API; no stage imports it.
"""
