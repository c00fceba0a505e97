"""Keep each goal's stored achievement (`Goal.current_achievement` and its companions) in step.

Whatever changes what a goal's achievement is worked out from (a progress update, an
allocation, the evaluation, the goal's own target) works it out again in the same transaction,
from views, services, imports and the admin alike. Loading fixtures (`raw`) is left alone: the
stored figures come with the rows.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from goals import reports
from goals.models import Allocation, Goal, GoalEvaluation, ProgressUpdate

# The fields of a goal that its achievement depends on.
MEASURED_FIELDS = {"target_kind", "baseline", "target"}


@receiver(post_save, sender=ProgressUpdate)
@receiver(post_save, sender=Allocation)
@receiver(post_save, sender=GoalEvaluation)
@receiver(post_delete, sender=ProgressUpdate)
@receiver(post_delete, sender=Allocation)
@receiver(post_delete, sender=GoalEvaluation)
def part_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        reports.store_achievement([instance.goal_id])


@receiver(post_save, sender=Goal)
def goal_changed(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or created:
        return
    if update_fields is None or MEASURED_FIELDS & set(update_fields):
        reports.store_achievement([instance.pk])
