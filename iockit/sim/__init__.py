"""The simulator: contexts drive the trust-building loop, faith, confidence, conflict, synergy
versus inertia, and dissolution."""

from .model import AUXILIARY, INITIAL, PHASES, STATE, Result, simulate

__all__ = ["AUXILIARY", "INITIAL", "PHASES", "STATE", "Result", "simulate"]
