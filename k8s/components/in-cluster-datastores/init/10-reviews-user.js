// Runs once, on an empty data directory (docker-entrypoint-initdb.d, as the root user): the reviews service's own
// user, limited to its database.
db.getSiblingDB('admin').createUser({
  user: 'reviews',
  pwd: process.env.REVIEWS_PASSWORD,
  roles: [{ role: 'readWrite', db: 'tarifa_reviews' }],
});
