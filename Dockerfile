# The Sluice container image: the production jar (application module: run, compact, validate; no broker, no demo) on a
# JRE 17, run as a non-root user.
# Build: docker build -t sluice:0.1.0 .   (needs a Docker engine; none runs on the project's CI machines)
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -ntp -DskipTests package -pl application -am

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 sluice \
 && useradd --system --uid 10001 --gid sluice --home-dir /var/lib/sluice --shell /usr/sbin/nologin sluice \
 && mkdir -p /var/lib/sluice/state /opt/sluice \
 && chown -R sluice:sluice /var/lib/sluice
COPY --from=build /src/application/target/sluice-application-*-app.jar /opt/sluice/sluice.jar
USER 10001:10001
WORKDIR /var/lib/sluice
EXPOSE 9464
# The root filesystem may be read-only: temporary files (JVM, Snappy's native library) go to /tmp.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=70 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp -Dorg.xerial.snappy.tempdir=/tmp"
ENTRYPOINT ["java", "-jar", "/opt/sluice/sluice.jar"]
CMD ["--help"]
