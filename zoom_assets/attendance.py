"""The SQL that turns participant sessions into one attendance row per person per meeting.

Who is a person. Zoom writes one `past_participants` row per session: every rejoin, dropped
connection or second device is a new row with a new per-meeting `user_id`, so that column cannot
say who attended. The identity is, in this order:

1. `id`, the Zoom user id, when the person was signed in: it is the same on every device and
   across renames, and it joins to `zoom_users.id` for people of this account;
2. else the e-mail address (lower case), which Zoom gives for people of the host's account (and
   some others) even when the user id is missing;
3. else the display name, all that a guest has: two guests with the same name in one meeting
   count as one person, and a guest who renames between sessions counts as two.

`person_kind` says which of the three `person_key` holds, so analysts can tell a firm identity
from a guessed one. One person signed in on a laptop and a guest on a phone stays two people:
nothing in Zoom's rows links them.

Attended time is the union of the person's sessions (gaps and islands): sessions are sorted by
join time, a session that starts after every earlier session of that person has ended opens a new
island, and each island counts once from its first join to its last leave. Overlapping sessions
from two devices are therefore not counted twice, and the gap between a leave and a rejoin is not
counted at all. Waiting-room rows are not attendance and are left out. Table names come from
`tables.py` constants (hence the S608 waivers); days travel as the `$first`/`$last` parameters.
"""

from zoom_assets.tables import MEETING_REPORTS, PAST_PARTICIPANTS

# Report times and session times are stamped by different Zoom services and rounded to the
# second; people are still being disconnected for a few seconds after the host ends the meeting.
# A minute absorbs that without hiding a real double count, which is at least a session long.
LENGTH_TOLERANCE_SECONDS = 60

_PERSON = """
    CASE WHEN coalesce(id, '') <> '' THEN 'user_id'
         WHEN coalesce(user_email, '') <> '' THEN 'email'
         ELSE 'name' END AS person_kind,
    CASE WHEN coalesce(id, '') <> '' THEN id
         WHEN coalesce(user_email, '') <> '' THEN lower(user_email)
         ELSE trim(coalesce(name, '')) END AS person_key"""

_PER_PERSON = "PARTITION BY meeting_uuid, person_kind, person_key ORDER BY join_time, leave_time"

ATTENDANCE_SELECT = f"""
WITH sessions AS (
    SELECT meeting_uuid, report_date, {_PERSON},
           name, user_email, join_time, leave_time, internal_user
    FROM {PAST_PARTICIPANTS.qualified_name}
    WHERE report_date BETWEEN $first AND $last
      AND coalesce(status, '') <> 'in_waiting_room'
),
marked AS (
    SELECT *, coalesce(join_time > max(leave_time) OVER (
               {_PER_PERSON} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), true) AS opens
    FROM sessions
),
numbered AS (
    SELECT *, sum(opens::INTEGER) OVER ({_PER_PERSON} ROWS UNBOUNDED PRECEDING) AS island
    FROM marked
),
islands AS (
    SELECT meeting_uuid, person_kind, person_key,
           greatest(0, date_diff('second', min(join_time), max(leave_time))) AS seconds
    FROM numbered
    GROUP BY meeting_uuid, person_kind, person_key, island
),
attended AS (
    SELECT meeting_uuid, person_kind, person_key, sum(seconds)::BIGINT AS attended_seconds
    FROM islands
    GROUP BY meeting_uuid, person_kind, person_key
)
SELECT s.meeting_uuid, s.report_date, s.person_kind, s.person_key,
       arg_min(s.name, s.join_time) AS name,
       max(nullif(s.user_email, '')) AS email,
       min(s.join_time) AS first_join,
       max(s.leave_time) AS last_leave,
       a.attended_seconds,
       count(*) AS sessions,
       bool_or(s.internal_user) AS internal,
       r.host_id
FROM sessions s
JOIN attended a USING (meeting_uuid, person_kind, person_key)
LEFT JOIN {MEETING_REPORTS.qualified_name} r
       ON r.uuid = s.meeting_uuid AND r.report_date = s.report_date
GROUP BY s.meeting_uuid, s.report_date, s.person_kind, s.person_key, a.attended_seconds, r.host_id
"""  # noqa: S608
