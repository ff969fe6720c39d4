-- Attendance per account member per week (weeks start on Monday, UTC): meetings attended and
-- minutes present. Guests who were not signed in to this account have no user id and are left out.
-- A participant who leaves and rejoins has one row per session: the meeting counts once, the
-- minutes add up. Time spent in a waiting room is not attendance.
SELECT
    date_trunc('week', p.report_date)::DATE AS week_start,
    u.email,
    u.dept AS department,
    count(DISTINCT p.meeting_uuid) AS meetings_attended,
    round(sum(p.duration) / 60.0, 1) AS minutes_present
FROM main.past_participants AS p
JOIN main.zoom_users AS u ON u.id = p.id
WHERE p.status IS DISTINCT FROM 'in_waiting_room'
GROUP BY ALL
ORDER BY week_start, minutes_present DESC, u.email;
