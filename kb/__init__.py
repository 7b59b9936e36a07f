"""Data folder shipped as package data: see the README."""
