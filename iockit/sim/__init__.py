"""The simulator: contexts drive the trust-building loop, faith, confidence, conflict, synergy
versus inertia, and dissolution."""

from .inputs import Inputs
from .model import AUXILIARY, INITIAL, PHASES, STATE, Result, run, simulate

__all__ = ["AUXILIARY", "INITIAL", "PHASES", "STATE", "Inputs", "Result", "run", "simulate"]
