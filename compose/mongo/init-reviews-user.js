// Runs once, on an empty data volume (the image's /docker-entrypoint-initdb.d, as root, before the replica set is
// initiated): the reviews service's own user, allowed to read and write its database only.
const reviewsDb = db.getSiblingDB('tarifa_reviews');
reviewsDb.createUser({
  user: 'reviews',
  pwd: process.env.MONGO_REVIEWS_PASSWORD,
  roles: [{ role: 'readWrite', db: 'tarifa_reviews' }],
});
