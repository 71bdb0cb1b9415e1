"""Third-party generated invoice sets (see README.md here)."""
