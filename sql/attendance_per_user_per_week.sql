-- Attendance per account member per week (weeks start on Monday, UTC): meetings attended and
-- minutes present. Built on meeting_attendance, so rejoins and a second device count once and
-- waiting-room time not at all. Guests without a Zoom user id of this account are left out.
SELECT
    date_trunc('week', a.report_date)::DATE AS week_start,
    u.email,
    u.dept AS department,
    count(*) AS meetings_attended,
    round(sum(a.attended_seconds) / 60.0, 1) AS minutes_present
FROM main.meeting_attendance AS a
JOIN main.zoom_users AS u ON a.person_kind = 'user_id' AND u.id = a.person_key
GROUP BY ALL
ORDER BY week_start, minutes_present DESC, u.email;
