// Debian packages the tests run for real, and how to tell each is present.
export const DEBIAN_TEST_DEPS = [
  { pkg: 'nginx', path: '/usr/sbin/nginx' },
  { pkg: 'apache2', path: '/usr/sbin/apache2' },
  { pkg: 'tomcat10', path: '/usr/share/tomcat10/bin/bootstrap.jar' },
  { pkg: 'tomcat10-examples', path: '/usr/share/tomcat10-examples/examples' },
  { pkg: 'libhsqldb-java', path: '/usr/share/java/hsqldb.jar' },
  { pkg: 'hsqldb-utils', path: '/usr/share/java/hsqldbutil.jar' },
  { pkg: 'libhsqldb1.8.0-java', path: '/usr/share/java/hsqldb1.8.0.jar' },
  { pkg: 'chromium', path: '/usr/bin/chromium' },
  { pkg: 'mariadb-server', path: '/usr/sbin/mariadbd' },
  { pkg: 'libmariadb-java', path: '/usr/share/java/mariadb-java-client.jar' },
  { pkg: 'libpostgresql-jdbc-java', path: '/usr/share/java/postgresql.jar' },
  { pkg: 'openssl', path: '/usr/bin/openssl' },
  { pkg: 'default-jdk-headless', path: '/usr/bin/javac' },
  // Screenshots of the Chinese UI need a CJK font to show real glyphs.
  { pkg: 'fonts-noto-cjk', path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc' },
];
