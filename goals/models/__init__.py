"""The models of the goal-setting cycle, one module per domain.

programme (the Operational Plan, its axes, measures and actions, and each year's action
programme), cycles, goals, observations, decisions (mayoral decisions
and the goal versions they froze), monitoring (allocation, progress, evaluation), blockers (the
risks and blockers heads raise on goals), yearend (final values submitted by the heads),
indicators (a goal's further indicators and their measured values), staff (each employee's
goals for the year), rounds (the monthly reporting rounds and their reminders), allocation_acts
(the heads of directorate's acts allocating their goals to the departments).
"""

from goals.models.allocation_acts import AllocationAct
from goals.models.blockers import GoalBlocker
from goals.models.cycles import GoalCycle
from goals.models.decisions import GoalVersion, MayoralDecision, decision_scan_path
from goals.models.goals import Goal
from goals.models.indicators import GoalIndicator, GoalVersionIndicator, IndicatorValue
from goals.models.monitoring import Allocation, GoalEvaluation, ProgressUpdate
from goals.models.observations import Observation
from goals.models.programme import (
    ActionProgramme,
    OperationalPlan,
    ProgrammeAction,
    ProgrammeAxis,
    ProgrammeMeasure,
)
from goals.models.rounds import ReportingRound, RoundReminder
from goals.models.staff import StaffGoal
from goals.models.yearend import FinalValueEvidence, FinalValueSubmission

__all__ = [
    "ActionProgramme",
    "Allocation",
    "AllocationAct",
    "FinalValueEvidence",
    "FinalValueSubmission",
    "Goal",
    "GoalBlocker",
    "GoalCycle",
    "GoalEvaluation",
    "GoalIndicator",
    "GoalVersion",
    "GoalVersionIndicator",
    "IndicatorValue",
    "MayoralDecision",
    "Observation",
    "OperationalPlan",
    "ProgrammeAction",
    "ProgrammeAxis",
    "ProgrammeMeasure",
    "ProgressUpdate",
    "StaffGoal",
    "ReportingRound",
    "RoundReminder",
    "decision_scan_path",
]
