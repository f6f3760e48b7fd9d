# Holds the given files' locks for some seconds the way apt and dpkg take them (fcntl write locks),
# printing "locked" once held and "released" just before letting go. Perl is in every Debian system.
use strict;
use Fcntl;
my ($seconds, @paths) = @ARGV;
my @held;
for my $path (@paths) {
  sysopen(my $fh, $path, O_RDWR | O_CREAT, 0640) or die "open $path: $!";
  # struct flock on 64-bit Linux: type, whence, start, length, pid.
  my $lock = pack('s s x4 q q i x4', F_WRLCK, 0, 0, 0, 0);
  fcntl($fh, F_SETLKW, $lock) or die "lock $path: $!";
  push @held, $fh;
}
$| = 1;
print "locked\n";
sleep $seconds;
print "released\n";
