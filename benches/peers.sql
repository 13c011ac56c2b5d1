-- The peers' workload (BENCHMARKS.md, "The peers' workload") in DuckDB SQL, run as it is by benches/peers.py
-- (DuckDB natively) and benches/peers/index.html (DuckDB-WASM). {{csv}} is the export's path or name;
-- statements are separated by a line holding only ";". The last three statements are the results.
CREATE OR REPLACE TEMP TABLE orders AS
WITH raw AS (
  SELECT "Name" AS order_id, any_value("Email") AS email, any_value("Created at") AS created,
         any_value("Total") AS total, any_value("Refunded Amount") AS refunded,
         any_value("Financial Status") AS status, any_value("Cancelled at") AS cancelled
  FROM read_csv('{{csv}}', header = true, all_varchar = true)
  GROUP BY "Name")
SELECT nullif(lower(trim(email)), '') AS customer, CAST(substr(created, 1, 10) AS DATE) AS day,
       CAST(total AS DOUBLE) - coalesce(CAST(refunded AS DOUBLE), 0) AS revenue
FROM raw
WHERE coalesce(lower(status), '') NOT IN ('refunded', 'voided') AND cancelled IS NULL
;
CREATE OR REPLACE TEMP TABLE customers AS
SELECT customer, min(day) AS first_day, max(day) AS last_day, count(DISTINCT day) AS occasions,
       sum(revenue) AS revenue
FROM orders WHERE customer IS NOT NULL GROUP BY customer
;
SELECT (SELECT count(*) FROM customers) AS customers, count(*) AS orders, sum(revenue) AS revenue,
       (SELECT avg(CAST(occasions >= 2 AS INTEGER)) FROM customers) AS repeat_rate
FROM orders
;
SELECT r, f, m, count(*) AS customers FROM (
  SELECT ntile(5) OVER (ORDER BY (SELECT max(day) FROM orders) - last_day DESC) AS r,
         ntile(5) OVER (ORDER BY occasions) AS f,
         ntile(5) OVER (ORDER BY revenue) AS m
  FROM customers)
GROUP BY ALL ORDER BY ALL
;
SELECT strftime(c.first_day, '%Y-%m') AS cohort,
       datediff('month', date_trunc('month', c.first_day), date_trunc('month', o.day)) AS months_since,
       count(DISTINCT o.customer) AS active
FROM orders o JOIN customers c USING (customer)
GROUP BY ALL ORDER BY ALL
