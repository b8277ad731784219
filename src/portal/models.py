"""Mijn Wijkteam keeps what a resident does beside the records it belongs to, in the apps below it:
the resident's response to the plan is ``plans.PlanResponse``."""
